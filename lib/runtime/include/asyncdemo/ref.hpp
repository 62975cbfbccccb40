#pragma once
// Ref<T>: an intrusive, single-threaded reference to a T that counts its
// own (add_ref, release). One word where a shared_ptr takes two: a frame
// that holds one stays in a smaller pool size class. Everything a loop owns
// lives on the loop's thread, so counts need no atomics.
#include <utility>

namespace asyncdemo {

template <class T> class Ref {
public:
  Ref() = default;
  explicit Ref(T* p) noexcept : p_(p) {
    if (p_) p_->add_ref();
  }
  Ref(const Ref& o) noexcept : Ref(o.p_) {}
  Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  template <class U> Ref(const Ref<U>& o) noexcept : Ref(o.get()) {}
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Ref() {
    if (p_) p_->release();
  }

  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

private:
  T* p_ = nullptr;
};

} // namespace asyncdemo
