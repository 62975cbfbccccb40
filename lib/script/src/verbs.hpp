#pragma once
// The steps of a scenario file, one entry a verb (private to the language):
// its name and keys, how it is read into instructions, whether only an
// event loop can run it, and the Python it is written as. The reader reads
// a step by its entry (reading.hpp); the Python writer writes an
// instruction by the entry of the verb it came from (twin.hpp); the
// interpreter runs the instruction (interpreter.cpp). A new verb is one
// entry here, its instruction's case in the interpreter, and its tests.
#include "asyncdemo/script/program.hpp"

#include <string_view>
#include <vector>

namespace asyncdemo::script {

// One step as its verb reads it (reading.hpp).
struct StepArgs;
class Twin;

struct Verb {
  std::string_view name;
  std::vector<std::string_view> keys; // the keys it takes besides its own name
  // Only an event loop can run it: sync mode (plain functions) cannot.
  bool needs_loop = false;
  void (*read)(StepArgs&) = nullptr;
  // Writes the instruction as Python (each instruction of the verb's own:
  // repeat's loop and next, if's if, else and end).
  void (*python)(Twin&, const Instr&) = nullptr;
};

// Every verb, in the order the docs list them.
const std::vector<Verb>& verbs();
const Verb* find_verb(std::string_view name);
// The verb an instruction comes from.
const Verb& verb_of(Instr::Op op);

} // namespace asyncdemo::script
