// The values of objects.hpp: Python's hash, dicts (insertion order), sets
// (CPython's own table, so that a set of ints iterates as CPython's does),
// and how each is written.
#include "objects.hpp"

#include "asyncdemo/script/expr.hpp"
#include "asyncdemo/sleep.hpp"

#include <fmt/format.h>

#include <bit>
#include <cmath>

namespace asyncdemo::py {

namespace {

constexpr std::uint64_t modulus = (std::uint64_t{1} << 61) - 1; // CPython's _PyHASH_MODULUS

std::int64_t hash_int(std::int64_t v) {
  const std::uint64_t a =
      v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  auto h = static_cast<std::int64_t>(a % modulus);
  if (v < 0) h = -h;
  return h == -1 ? -2 : h;
}

// CPython's _Py_HashDouble (for a float that is not an integer).
std::int64_t hash_double(double v) {
  if (std::isinf(v)) return v > 0 ? 314159 : -314159;
  if (std::isnan(v)) return 0; // (CPython 3.10+: by identity; any value will do here)
  int e = 0;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m) {
    x = ((x << 28) & modulus) | x >> (61 - 28);
    m *= 268435456.0; // 2**28
    e -= 28;
    const auto y = static_cast<std::uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= modulus) x -= modulus;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & modulus) | x >> (61 - e);
  auto h = static_cast<std::int64_t>(x) * sign;
  return h == -1 ? -2 : h;
}

std::int64_t hash_text(const std::string& s) {
  // FNV-1a: CPython's str hash is keyed at random per run (PYTHONHASHSEED),
  // so no order of a set of strs is CPython's own anyway.
  std::uint64_t h = 14695981039346656037ULL;
  for (const unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  auto r = static_cast<std::int64_t>(h >> 1);
  return r == -1 ? -2 : r;
}

std::int64_t hash_tuple(const List& items) {
  // CPython 3.8+'s tuplehash (xxHash's mixing).
  constexpr std::uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                          p5 = 2870177450012600261ULL;
  std::uint64_t acc = p5;
  for (const auto& item : items) {
    const auto lane = static_cast<std::uint64_t>(hash_of(item));
    acc += lane * p2;
    acc = std::rotl(acc, 31);
    acc *= p1;
  }
  acc += items.size() ^ (p5 ^ 3527539ULL);
  if (acc == static_cast<std::uint64_t>(-1)) return 1546275796;
  return static_cast<std::int64_t>(acc);
}

} // namespace

std::int64_t hash_of(const Object& v) {
  switch (v.kind()) {
  case Object::Kind::none:
    return 0x5f3759df;
  case Object::Kind::boolean:
    return v.boolean() ? 1 : 0;
  case Object::Kind::integer:
    return hash_int(v.integer());
  case Object::Kind::real: {
    const double d = v.real();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
      return hash_int(static_cast<std::int64_t>(d));
    return hash_double(d);
  }
  case Object::Kind::text:
    return hash_text(v.text());
  case Object::Kind::tuple:
    return hash_tuple(v.list());
  case Object::Kind::list:
    throw ScriptError("TypeError: unhashable type: 'list'");
  case Object::Kind::other:
    break;
  }
  const auto t = v.heap_type();
  if (t == HeapObject::Type::dict ||
      (t == HeapObject::Type::set && std::string_view(v.type_name()) == "set"))
    throw ScriptError(fmt::format("TypeError: unhashable type: '{}'", v.type_name()));
  // By identity, as object.__hash__ (id(x) >> 4).
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(v.heap()) >> 4);
}

// ---- dict ----

const Object* DictObject::find(const Object& key) const {
  const auto h = hash_of(key);
  const auto [lo, hi] = index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    const auto& e = entries_[it->second];
    if (e.alive && (e.key.same(key) || e.key == key)) return &e.value;
  }
  return nullptr;
}

void DictObject::set(const Object& key, Object value) {
  const auto h = hash_of(key);
  const auto [lo, hi] = index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    auto& e = entries_[it->second];
    if (e.alive && (e.key.same(key) || e.key == key)) {
      e.value = std::move(value);
      return;
    }
  }
  index_.emplace(h, entries_.size());
  entries_.push_back({h, key, std::move(value), true});
  ++size_;
  ++version_;
}

bool DictObject::erase(const Object& key) {
  const auto h = hash_of(key);
  const auto [lo, hi] = index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    auto& e = entries_[it->second];
    if (e.alive && (e.key.same(key) || e.key == key)) {
      e.alive = false;
      e.key = Object();
      e.value = Object();
      index_.erase(it);
      --size_;
      ++version_;
      if (size_ * 2 < entries_.size() && entries_.size() > 16) { // compact
        std::vector<Entry> kept;
        index_.clear();
        for (auto& x : entries_)
          if (x.alive) {
            index_.emplace(x.hash, kept.size());
            kept.push_back(std::move(x));
          }
        entries_ = std::move(kept);
      }
      return true;
    }
  }
  return false;
}

void DictObject::clear() {
  entries_.clear();
  index_.clear();
  size_ = 0;
  ++version_;
}

std::string DictObject::repr() const {
  std::string out = "{";
  bool first = true;
  for (const auto& e : entries_) {
    if (!e.alive) continue;
    if (!first) out += ", ";
    first = false;
    out += e.key.repr() + ": " + e.value.repr();
  }
  return out + "}";
}

// ---- set: CPython's table (Objects/setobject.c) ----

namespace {
constexpr std::size_t linear_probes = 9;
constexpr int perturb_shift = 5;
} // namespace

SetObject::SetObject(bool frozen) : HeapObject(Type::set), frozen_(frozen), table_(8) {}

std::optional<std::size_t> SetObject::slot_of(const Object& key, std::int64_t hash) const {
  const std::size_t mask = table_.size() - 1;
  auto perturb = static_cast<std::uint64_t>(hash);
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  for (;;) {
    std::size_t probes = i + linear_probes <= mask ? linear_probes : 0;
    for (std::size_t j = i;; ++j) {
      const auto& e = table_[j];
      if (e.state == Slot::State::empty) return std::nullopt;
      if (e.state == Slot::State::active && e.hash == hash && (e.key.same(key) || e.key == key))
        return j;
      if (probes-- == 0) break;
    }
    perturb >>= perturb_shift;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
}

bool SetObject::contains(const Object& v) const {
  return slot_of(v, hash_of(v)).has_value();
}

void SetObject::add(const Object& key) {
  add_entry(key, hash_of(key));
}

void SetObject::add_entry(const Object& key, std::int64_t hash) {
  const std::size_t mask = table_.size() - 1;
  auto perturb = static_cast<std::uint64_t>(hash);
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  std::optional<std::size_t> freeslot;
  for (;;) {
    std::size_t probes = i + linear_probes <= mask ? linear_probes : 0;
    for (std::size_t j = i;; ++j) {
      auto& e = table_[j];
      if (e.state == Slot::State::empty) {
        if (freeslot) {
          table_[*freeslot] = {Slot::State::active, hash, key};
          ++used_;
          return;
        }
        e = {Slot::State::active, hash, key};
        ++fill_;
        ++used_;
        if (fill_ * 5 >= mask * 3) resize(used_ > 50000 ? used_ * 2 : used_ * 4);
        return;
      }
      if (e.state == Slot::State::active && e.hash == hash && (e.key.same(key) || e.key == key))
        return;
      if (e.state == Slot::State::dummy && !freeslot) freeslot = j;
      if (probes-- == 0) break;
    }
    perturb >>= perturb_shift;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
}

void SetObject::insert_clean(Object key, std::int64_t hash) {
  const std::size_t mask = table_.size() - 1;
  auto perturb = static_cast<std::uint64_t>(hash);
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  for (;;) {
    if (table_[i].state == Slot::State::empty) break;
    bool placed = false;
    if (i + linear_probes <= mask)
      for (std::size_t j = 0; j < linear_probes; ++j)
        if (table_[i + j + 1].state == Slot::State::empty) {
          i = i + j + 1;
          placed = true;
          break;
        }
    if (placed) break;
    perturb >>= perturb_shift;
    i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
  }
  table_[i] = {Slot::State::active, hash, std::move(key)};
}

void SetObject::resize(std::size_t minused) {
  std::size_t size = 8;
  while (size <= minused)
    size <<= 1;
  auto old = std::move(table_);
  table_.assign(size, Slot{});
  fill_ = used_;
  for (auto& e : old)
    if (e.state == Slot::State::active) insert_clean(std::move(e.key), e.hash);
}

void SetObject::expect(std::size_t n) {
  if ((fill_ + n) * 5 >= (table_.size() - 1) * 3) resize((used_ + n) * 2);
}

void SetObject::merge(const SetObject& other) {
  if (&other == this || other.used_ == 0) return;
  // One big resize first, expecting few items in common.
  expect(other.used_);
  // Empty, the same size, and no dummies there: the table is copied.
  if (fill_ == 0 && table_.size() == other.table_.size() && other.fill_ == other.used_) {
    for (std::size_t i = 0; i < table_.size(); ++i)
      if (other.table_[i].state == Slot::State::active) table_[i] = other.table_[i];
    fill_ = other.fill_;
    used_ = other.used_;
    return;
  }
  if (fill_ == 0) { // empty: no duplicates, nothing to look for
    fill_ = used_ = other.used_;
    for (const auto& e : other.table_)
      if (e.state == Slot::State::active) insert_clean(e.key, e.hash);
    return;
  }
  for (const auto& e : other.table_)
    if (e.state == Slot::State::active) add_entry(e.key, e.hash);
}

bool SetObject::discard(const Object& v) {
  const auto at = slot_of(v, hash_of(v));
  if (!at) return false;
  table_[*at] = {Slot::State::dummy, -1, Object()};
  --used_;
  return true;
}

List SetObject::items() const {
  List out;
  out.reserve(used_);
  for (const auto& e : table_)
    if (e.state == Slot::State::active) out.push_back(e.key);
  return out;
}

void SetObject::clear() {
  table_.assign(8, Slot{});
  fill_ = used_ = 0;
}

std::string SetObject::repr() const {
  const auto xs = items();
  if (xs.empty()) return frozen_ ? "frozenset()" : "set()";
  std::string out = frozen_ ? "frozenset({" : "{";
  for (std::size_t i = 0; i < xs.size(); ++i)
    out += (i ? ", " : "") + xs[i].repr();
  return out + (frozen_ ? "})" : "}");
}

// ---- the rest ----

std::int64_t RangeObject::length() const noexcept {
  if (step > 0 && start < stop) return (stop - start - 1) / step + 1;
  if (step < 0 && start > stop) return (start - stop - 1) / (-step) + 1;
  return 0;
}

std::string RangeObject::repr() const {
  if (step == 1) return fmt::format("range({}, {})", start, stop);
  return fmt::format("range({}, {}, {})", start, stop, step);
}

std::string FunctionObject::repr() const {
  return fmt::format("<function {} at 0x{:x}>", name, reinterpret_cast<std::uintptr_t>(this));
}

std::string BuiltinObject::repr() const {
  return fmt::format("<built-in function {}>", name);
}

std::string MethodObject::repr() const {
  return fmt::format("<bound method of {}>", self.repr());
}

CoroutineObject::~CoroutineObject() {
  if (!started) warn_never_awaited(name().c_str());
}

std::string CoroutineObject::repr() const {
  return fmt::format("<coroutine object {} at 0x{:x}>", name(),
                     reinterpret_cast<std::uintptr_t>(this));
}

std::string TaskObject::repr() const {
  const auto& s = state();
  const auto how = !s.done() ? "pending" : s.cancelled() ? "cancelled" : "finished";
  return fmt::format("<Task {} name='{}' coro={}>", how, name(), coro.repr());
}

std::string TaskObject::name() const {
  return given_ ? *given_ : "Task-" + std::to_string(number_);
}

void TaskObject::set_name(std::string name) {
  // "Task-N" exactly as to_string writes N (no sign, no leading zero).
  std::uint64_t n = 0;
  bool canonical = name.size() > 5 && name.size() <= 5 + 19 && name.compare(0, 5, "Task-") == 0 &&
                   name[5] != '0';
  for (std::size_t i = 5; canonical && i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9')
      canonical = false;
    else
      n = n * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  if (canonical) {
    number_ = n;
    given_.reset();
  } else {
    given_ = std::make_unique<std::string>(std::move(name));
  }
}

const detail::FutureBase& TaskObject::state() const noexcept {
  if (main) return *main->outcome.state();
  return *task.state();
}

Object TaskObject::result() const {
  return main ? main->outcome.result() : task.result();
}

bool TaskObject::cancel(const std::string* message) {
  if (!main) return task.cancel(message);
  if (main->outcome.done()) return main->outcome.cancel(); // false, as a done task's
  return main->runtime->cancel(message);
}

int TaskObject::cancelling() const noexcept {
  return main ? main->runtime->cancelling() : task.cancelling();
}

std::string FutureObject::repr() const {
  return future.done() ? (future.cancelled() ? "<Future cancelled>" : "<Future finished>")
                       : "<Future pending>";
}

std::string ExceptionTypeObject::repr() const {
  return fmt::format("<class '{}'>", module.empty() ? name : module + "." + name);
}

const char* ExceptionObject::type_name() const noexcept {
  const auto* c = cls();
  return c ? c->name.c_str() : "Exception";
}

std::string ExceptionObject::str() const {
  const auto* c = cls();
  if (c && c->group) {
    const auto n = exceptions.size();
    return fmt::format("{} ({} sub-exception{})", message, n, n == 1 ? "" : "s");
  }
  if (args.empty()) return {};
  if (args.size() == 1) {
    // KeyError's str is the key's repr.
    if (c && c->name == "KeyError") return args[0].repr();
    return args[0].str();
  }
  return Object::tuple(args).repr();
}

std::string ExceptionObject::repr() const {
  const auto* c = cls();
  std::string out = (c ? c->name : std::string("Exception")) + "(";
  for (std::size_t i = 0; i < args.size(); ++i)
    out += (i ? ", " : "") + args[i].repr();
  return out + ")";
}

std::string PrimitiveObject::repr() const {
  if (kind == "Handle" || kind == "TimerHandle")
    return fmt::format("<{} object at 0x{:x}>", kind, reinterpret_cast<std::uintptr_t>(this));
  return fmt::format("<asyncio.locks.{} object at 0x{:x}>", kind,
                     reinterpret_cast<std::uintptr_t>(this));
}

} // namespace asyncdemo::py
