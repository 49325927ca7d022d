// the request token bucket never grants more than rate * (3 + seconds).
import assert from "node:assert/strict";
import { BURST_SECONDS, RequestRate } from "../lib/server/request_rate.ts";

Deno.test("no spelling of one address, timing or sweep gets more than rate * (burst + seconds)", () => {
  let now = 1_000;
  const points = 7;
  const rate = new RequestRate({ points, now: () => now });
  // The same client spelled as IPv4-mapped IPv6 and in other IPv6 forms of one /64.
  const v4 = ["10.0.0.1", "::ffff:10.0.0.1", "::FFFF:a00:1", "0:0:0:0:0:ffff:10.0.0.1"];
  const v6 = ["2001:db8:1:2::1", "2001:0DB8:0001:0002:ffff::9", "2001:db8:1:2:0:0:0:7"];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = now;
  const spent = [0, 0];
  for (let i = 0; i < 200_000; i++) {
    now += Math.floor(random() * (random() < 0.001 ? 20_000 : 40)); // sometimes past a sweep
    if (random() < 0.3) rate.take(`10.2.${i & 255}.1`, 1); // others, so that sweeps have work
    const cost = random() < 0.5 ? 1 : 10;
    const group = random() < 0.5 ? 0 : 1;
    const names = group === 0 ? v4 : v6;
    if (rate.take(names[Math.floor(random() * names.length)], cost) === 0) spent[group] += cost;
    const bound = points * (BURST_SECONDS + (now - start) / 1000);
    assert.ok(spent[0] <= bound + 1e-6 && spent[1] <= bound + 1e-6, `${spent} > ${bound} at ${i}`);
  }
});
