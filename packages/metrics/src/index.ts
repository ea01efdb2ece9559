export const PACKAGE = '@logitlab/metrics';
