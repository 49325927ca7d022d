// attacks on the code throttle's fast path.
import assert from "node:assert/strict";
import { CodeThrottle } from "../lib/election/code_throttle.ts";
import { voterId } from "./_voters.ts";

Deno.test("a pair whose first wrong code starts a sweep is not swept away: at most perPair codes checked", async () => {
  const throttle = new CodeThrottle({ perPair: 3 });
  // The attacker's own address, with 1,023 made-up voter IDs (a name not on the roll counts as wrong).
  for (let n = 0; n < 1023; n++) {
    await throttle.settle("10.9.9.9", `X${n}`, { wrong: true });
  }
  // The 1,024th pair's first wrong code starts the sweep.
  let checked = 0;
  assert.equal(await throttle.begin("10.9.9.9", voterId(5)), 0);
  checked++;
  await throttle.settle("10.9.9.9", voterId(5), { wrong: true });
  await new Promise((resolve) => setTimeout(resolve, 0)); // the sweep's answers come in
  // Now parallel guesses at that voter.
  const begun = await Promise.all(
    [0, 1, 2, 3, 4].map(() => throttle.begin("10.9.9.9", voterId(5))),
  );
  checked += begun.filter((w) => w === 0).length;
  assert.ok(checked <= 3, `${checked} codes checked for one pair, limit 3`);
});

Deno.test("a wrong code settled while another guess of the pair asks the limiter still counts for it", async () => {
  const throttle = new CodeThrottle({ perPair: 3 });
  let checked = 0;
  for (let i = 0; i < 2; i++) {
    assert.equal(await throttle.begin("10.9.9.9", voterId(5)), 0);
    checked++;
    await throttle.settle("10.9.9.9", voterId(5), { wrong: true });
  }
  assert.equal(await throttle.begin("10.9.9.9", voterId(5)), 0); // the third, in flight
  checked++;
  const fourth = throttle.begin("10.9.9.9", voterId(5)); // asks the limiter: 2 on record
  const settled = throttle.settle("10.9.9.9", voterId(5), { wrong: true }); // the third is wrong
  if ((await fourth) === 0) checked++;
  await settled;
  assert.ok(checked <= 3, `${checked} codes checked for one pair, limit 3`);
});
