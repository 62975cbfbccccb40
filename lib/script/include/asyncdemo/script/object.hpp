#pragma once
// Object: a value of the language, as Python's. None, bool, int (64 bits)
// and float are held in place; every other value (str, list, tuple, dict,
// set, functions, coroutines, tasks, exceptions ...) is a HeapObject held by
// count of references, shared as Python shares it (a list appended to
// through one name is appended to through all). Printed the way Python
// prints them (str() and repr()), so that a run and its Python twin print
// the same text. Sixteen bytes; copying one copies a pointer at most.
#include "asyncdemo/recycled.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

class Object;
using List = std::vector<Object>;

// A value that lives on the heap. Freed when its last reference goes,
// without recursion however deep a structure nests (a list inside a list
// inside ... a million deep), so that no value can exhaust the stack.
// Recycled: a program may make a million coroutines and tasks.
class HeapObject : public Recycled {
public:
  // What it is, for the interpreter's fast paths (the rest ask type_name).
  enum class Type : std::uint8_t {
    str,
    list,
    tuple,
    dict,
    set,
    function,
    builtin,
    method,
    coroutine,
    task,
    future,
    exception,
    exception_type,
    type,
    module,
    range,
    iterator,
    generator,
    cell,
    primitive,
    other,
  };
  explicit HeapObject(Type t) noexcept : type_(t) {}
  HeapObject(const HeapObject&) = delete;
  HeapObject& operator=(const HeapObject&) = delete;
  virtual ~HeapObject() = default;

  Type type() const noexcept { return type_; }
  // Python's type(x).__name__: "str", "coroutine", "Task", ...
  virtual const char* type_name() const noexcept = 0;
  // repr(x) and str(x) of the values that have their own.
  virtual std::string repr() const;
  virtual std::string str() const { return repr(); }
  virtual bool truthy() const { return true; }
  // The values it holds, for a structure freed without recursion.
  virtual void give_up(List& into) { (void)into; }

  void add_ref() noexcept { ++refs_; }
  void release() noexcept;
  std::uint32_t refs() const noexcept { return refs_; }

private:
  std::uint32_t refs_ = 0;
  Type type_;
};

class Object {
public:
  enum class Kind : std::uint8_t { none, boolean, integer, real, text, list, tuple, other };

  Object() noexcept : kind_(Kind::none) { u_.i = 0; }
  Object(bool b) noexcept : kind_(Kind::boolean) { u_.i = b; }
  Object(std::int64_t i) noexcept : kind_(Kind::integer) { u_.i = i; }
  Object(int i) noexcept : kind_(Kind::integer) { u_.i = i; }
  Object(double d) noexcept : kind_(Kind::real) { u_.d = d; }
  Object(std::string s);
  Object(const char* s) : Object(std::string(s)) {}
  Object(List l); // a list
  static Object tuple(List items);
  // Holds `h` (which takes this reference).
  explicit Object(HeapObject* h) noexcept;

  Object(const Object& o) noexcept : kind_(o.kind_), u_(o.u_) {
    if (o.heap_kind()) u_.p->add_ref();
  }
  Object(Object&& o) noexcept : kind_(o.kind_), u_(o.u_) { o.kind_ = Kind::none; }
  Object& operator=(const Object& o) noexcept {
    if (this != &o) {
      if (o.heap_kind()) o.u_.p->add_ref();
      drop();
      kind_ = o.kind_;
      u_ = o.u_;
    }
    return *this;
  }
  Object& operator=(Object&& o) noexcept {
    if (this != &o) {
      drop();
      kind_ = o.kind_;
      u_ = o.u_;
      o.kind_ = Kind::none;
    }
    return *this;
  }
  ~Object() { drop(); }

  Kind kind() const noexcept { return kind_; }
  bool is_number() const noexcept { return kind_ == Kind::integer || kind_ == Kind::real; }
  bool is_heap() const noexcept { return heap_kind(); }

  bool boolean() const noexcept { return u_.i != 0; }
  std::int64_t integer() const noexcept { return u_.i; }
  double real() const noexcept { return u_.d; }
  // An int or a float, as a float (what arithmetic with a float does).
  double number() const noexcept {
    return kind_ == Kind::integer ? static_cast<double>(u_.i) : u_.d;
  }
  const std::string& text() const;
  // A list's or a tuple's items.
  const List& list() const;
  List& items(); // a list's, to change in place (every holder sees it)
  // list.append(v): in place, as Python's.
  void append(Object v);

  // Any heap value; the type it is, asked without a cast.
  HeapObject* heap() const noexcept { return heap_kind() ? u_.p : nullptr; }
  HeapObject::Type heap_type() const noexcept {
    return heap_kind() ? u_.p->type() : HeapObject::Type::other;
  }
  // The value as a T, or null. A class that is the only one of its Type
  // says so (`static constexpr Type tag`) and is told by it, without a
  // dynamic_cast (asked at every step of a program).
  template <class T> T* as() const noexcept {
    if constexpr (requires { T::tag; })
      return heap_kind() && u_.p->type() == T::tag ? static_cast<T*>(u_.p) : nullptr;
    else if constexpr (requires { T::list_or_tuple; })
      return kind_ == Kind::list || kind_ == Kind::tuple ? static_cast<T*>(u_.p) : nullptr;
    else
      return heap_kind() ? dynamic_cast<T*>(u_.p) : nullptr;
  }

  // Python's bool(x).
  bool truthy() const;
  // Python's str(x) and repr(x).
  std::string str() const;
  std::string repr() const;
  // Python's type(x).__name__: "int", "str", ...
  const char* type_name() const noexcept;

  // Python's ==: 1 == 1.0, [1] == [1.0].
  friend bool operator==(const Object& a, const Object& b);

  // The same object (Python's `is`).
  bool same(const Object& o) const noexcept {
    if (kind_ != o.kind_) return false;
    if (heap_kind()) return u_.p == o.u_.p;
    return u_.i == o.u_.i;
  }

private:
  bool heap_kind() const noexcept { return kind_ >= Kind::text; }
  void drop() noexcept {
    if (heap_kind()) u_.p->release();
  }

  Kind kind_;
  union {
    std::int64_t i;
    double d;
    HeapObject* p;
  } u_;
};

// The heap values every layer knows: a str, a list, a tuple.
struct StrObject final : HeapObject {
  static constexpr Type tag = Type::str;
  explicit StrObject(std::string s) : HeapObject(Type::str), value(std::move(s)) {}
  const char* type_name() const noexcept override { return "str"; }
  std::string value;
};
struct ListObject final : HeapObject {
  static constexpr bool list_or_tuple = true; // told by the Object's kind
  explicit ListObject(List l, Type t = Type::list) : HeapObject(t), items(std::move(l)) {}
  const char* type_name() const noexcept override {
    return type() == Type::tuple ? "tuple" : "list";
  }
  void give_up(List& into) override;
  List items;
};

// repr() of a float, as Python writes it: the shortest text that reads back
// as the same double, in fixed notation from 1e-4 up to 1e16 ("0.1", "2.0",
// "1e+16", "1e-05", "inf", "nan").
std::string py_float_repr(double d);
// repr() of a str: in single quotes unless it holds one and no double.
std::string py_str_repr(std::string_view s);

} // namespace asyncdemo
