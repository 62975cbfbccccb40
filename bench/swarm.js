// The swarm workload in Node, for bench/compare.py:
//
//   node bench/swarm.js TASKS MAX_SLEEP SEED
//
// TASKS async functions, each awaiting a setTimeout promise of a random
// time below MAX_SLEEP seconds, gathered with Promise.all. JavaScript has no
// seeded Math.random, so the sleeps come from mulberry32(SEED): the same
// distribution as asyncdemo's, not the same numbers.
"use strict";

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function sleeper(i, delay) {
  await sleep(delay);
  return i;
}

async function main() {
  const [tasks, maxSleep, seed] = process.argv.slice(2).map(Number);
  const random = mulberry32(seed);
  const jobs = [];
  for (let i = 0; i < tasks; i++) jobs.push(sleeper(i, random() * maxSleep));
  await Promise.all(jobs);
}

main();
