import { SafetensorsError, type SafetensorsHeader, readSafetensorsHeader } from '@logitlab/layers';
import { CheckpointError } from '../errors';

/**
 * A checkpoint's safetensors header, read without building any tensor: the checksum, the structure
 * and the weights' finiteness are all checked from it and the raw bytes first, so a damaged or hostile
 * file (one declaring 100,000 tensors) is refused for the cost of parsing its JSON, not of decoding it.
 * The parsing is layers' (one parser for the format); loadSafetensors still checks the offsets tile
 * the data before it decodes.
 */
export type CheckpointHeader = SafetensorsHeader;

export function readHeader(bytes: Uint8Array): CheckpointHeader {
  if (!(bytes instanceof Uint8Array))
    throw new CheckpointError(`checkpoint bytes must be a Uint8Array; got ${bytes === null ? 'null' : typeof bytes}`);
  let header: SafetensorsHeader;
  try {
    header = readSafetensorsHeader(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(`not a readable checkpoint: ${e.message}`);
    throw e;
  }
  // the checksum and finiteness checks read these ranges before loadSafetensors checks the tiling
  const dataLength = bytes.length - header.dataStart;
  for (const [name, e] of header.entries) {
    if (e.end > dataLength)
      throw new CheckpointError(
        `checkpoint tensor "${name}" has data_offsets [${e.begin}, ${e.end}]; expected [begin, end] within the ${dataLength} data bytes`,
      );
  }
  return header;
}
