#pragma once
// The Python writer at work on one program (private to the language): the
// script, whether the mode's program is plain (sync), the names of the body
// being written and the blocks being filled. Each verb writes its
// instructions with these (verbs.cpp); python_writer.cpp writes the rest.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/script/program.hpp"

#include <string>
#include <vector>

namespace asyncdemo::script {

class Twin {
public:
  Twin(const Script& s, bool blocking) : s_(s), blocking_(blocking) {}

  const Script& script() const { return s_; }
  // Sync mode: plain functions, every wait a time.sleep, nothing awaited.
  bool blocking() const { return blocking_; }

  // The statements of `code`, in a body whose slots and tasks have these names.
  Block body(const std::vector<Instr>& code, const std::vector<std::string>& slots,
             const std::vector<std::string>& tasks);
  // The statements of a block inside the body being written (with, timeout, on_timeout).
  Block statements(const std::vector<Instr>& code);

  // Into the innermost open block.
  void emit(StmtPtr s);
  // Emits `s` and opens its body; open_else turns to its else; close ends it.
  void open(StmtPtr s);
  void open_else();
  void close();

  // The body's names.
  ExprPtr slot(int slot) const;
  ExprPtr task(int task) const;
  // A [shared] name; a coroutine's function name, and a call of it: f().
  ExprPtr shared(int target) const;
  const std::string& function(int target) const;
  ExprPtr call(int target) const;
  // Scenario seconds as the program's: e * SCALE.
  ExprPtr seconds(const Expr& e) const;
  // `x = value` when the instruction keeps its result in a slot, else `value`.
  StmtPtr keep(int slot, ExprPtr value, std::string note = {}) const;
  // value, awaited unless the program is plain.
  ExprPtr awaited(ExprPtr value) const;

private:
  const Script& s_;
  bool blocking_;
  const std::vector<std::string>* slots_ = nullptr;
  const std::vector<std::string>* tasks_ = nullptr;
  std::vector<Block*> blocks_;     // the open blocks, innermost last
  std::vector<Stmt*> opened_;      // the statement each was opened by
  const Instr* writing_ = nullptr; // the instruction being written: its statements' origin
};

} // namespace asyncdemo::script
