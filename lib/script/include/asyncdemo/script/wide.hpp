#pragma once
// 128-bit integers (GCC's, as an extension) for what 64 bits cannot hold on
// the way to a 64-bit result: a randint's width (up to 2^64), a range's
// length, a repetition's size before it is checked.
namespace asyncdemo {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

} // namespace asyncdemo
