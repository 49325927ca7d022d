import { benchRollThroughput } from "./roll.ts";
console.log(JSON.stringify(await benchRollThroughput()));
