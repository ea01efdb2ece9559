// The element type of every slot an instruction names, checked against plan-layout.h's declaration when runOp gets
// its arrays as typed arrays: a Float64Array where an op reads float32 would otherwise be read as twice as many
// floats of garbage (the byte-range checks alone cannot tell). runPlan's slots are byte ranges of one arena, so
// its types are the lowering's to get right.
#include <string>
#include <vector>

#include "common.h"
#include "plan-layout.h"

namespace {

struct SlotField {
  int index;  // position among the op's fields
  std::string name;
  std::string type;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= s.size()) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

const std::vector<std::vector<SlotField>>& slotFields() {
  static const std::vector<std::vector<SlotField>> all = [] {
    std::vector<std::vector<SlotField>> out;
    for (const auto& op : kPlanOps) {
      // a layout without types (an op appended before it declared them) checks nothing: every slot is "any"
      const auto fields = split(op.fields), types = split(op.types ? op.types : "");
      std::vector<SlotField> slots;
      for (size_t i = 0; i < fields.size(); i++) {
        if (fields[i].rfind("slot:", 0) != 0) continue;
        const size_t k = slots.size();
        slots.push_back({static_cast<int>(i), fields[i].substr(5), k < types.size() && !types[k].empty() ? types[k] : "any"});
      }
      out.push_back(std::move(slots));
    }
    return out;
  }();
  return all;
}

const char* arrayName(const std::string& type) {
  if (type == "f32") return "a Float32Array";
  if (type == "i32") return "an Int32Array";
  if (type == "u8") return "a Uint8Array";
  if (type == "f64") return "a Float64Array";
  return "a typed array";
}

}  // namespace

void checkSlotTypes(int op, const int32_t* fields, const char* const* bufferTypes, size_t bufferCount) {
  for (const SlotField& s : slotFields()[static_cast<size_t>(op)]) {
    const int32_t slot = fields[s.index];
    if (slot < 0 || s.type == "any" || static_cast<size_t>(slot) >= bufferCount) continue;
    const char* have = bufferTypes[slot];
    if (have == nullptr || s.type != have) {
      throw std::invalid_argument(std::string("runOp (") + kPlanOps[op].name + ") " + s.name + " is buffer " + std::to_string(slot) + ", " +
                                  (have ? arrayName(have) : "null") + ", expected " + arrayName(s.type));
    }
  }
}
