// The Python writer's tools (twin.hpp).
#include "twin.hpp"

#include "verbs.hpp"

#include <stdexcept>

namespace asyncdemo::script {

Block Twin::body(const std::vector<Instr>& code, const std::vector<std::string>& slots,
                 const std::vector<std::string>& tasks) {
  slots_ = &slots;
  tasks_ = &tasks;
  return statements(code);
}

Block Twin::statements(const std::vector<Instr>& code) {
  Block out;
  const auto depth = blocks_.size();
  blocks_.push_back(&out);
  opened_.push_back(nullptr);
  const auto* outer = writing_;
  for (const auto& in : code) {
    writing_ = &in;
    verb_of(in.op).python(*this, in);
  }
  writing_ = outer;
  if (blocks_.size() != depth + 1) throw std::logic_error("twin: a block left open");
  blocks_.pop_back();
  opened_.pop_back();
  return out;
}

void Twin::emit(StmtPtr s) {
  if (!s->origin) s->origin = writing_;
  blocks_.back()->push_back(std::move(s));
}

void Twin::open(StmtPtr s) {
  auto* stmt = s.get();
  emit(std::move(s));
  blocks_.push_back(&stmt->body);
  opened_.push_back(stmt);
}

void Twin::open_else() {
  blocks_.back() = &opened_.back()->orelse;
}

void Twin::close() {
  blocks_.pop_back();
  opened_.pop_back();
}

ExprPtr Twin::slot(int slot) const {
  return ast::name(slots_->at(static_cast<std::size_t>(slot)));
}

ExprPtr Twin::task(int task) const {
  return ast::name(tasks_->at(static_cast<std::size_t>(task)));
}

ExprPtr Twin::shared(int target) const {
  return ast::name(s_.shared.at(static_cast<std::size_t>(target)).name);
}

const std::string& Twin::function(int target) const {
  return s_.coroutines.at(static_cast<std::size_t>(target)).function;
}

ExprPtr Twin::call(int target) const {
  return ast::call(ast::name(function(target)));
}

ExprPtr Twin::seconds(const Expr& e) const {
  return ast::binary("*", ast::copy(e), ast::name("SCALE"));
}

StmtPtr Twin::keep(int slot, ExprPtr value, std::string note) const {
  if (slot < 0) return ast::expr(std::move(value), std::move(note));
  return ast::assign(this->slot(slot), std::move(value), std::move(note));
}

ExprPtr Twin::awaited(ExprPtr value) const {
  return blocking_ ? std::move(value) : ast::await_(std::move(value));
}

} // namespace asyncdemo::script
