import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import { storeContract } from "./store_contract.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import postgres from "postgres";
import { importTestRoll, writeRoll } from "./_roll.ts";
import { postgresRollTarget } from "../lib/store/postgres/postgres_roll.ts";
import { readCodeKey } from "../lib/election/code_key.ts";

storeContract("PostgreSQL", async () => {
  const dbs = await testDatabases();
  let url = "";
  return {
    fresh: async (request) => openPostgresStore(url = await dbs.create(), request, { poolSize: 4 }),
    freshWithRoll: async (request, roll) => {
      url = await dbs.create();
      const dir = await Deno.makeTempDir({ prefix: "matdaan-pg-roll-" });
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await writeRoll(`${dir}/roll.csv`, roll.count, roll);
        const target = postgresRollTarget(sql);
        const keyPath = `${dir}/e.codes.key`;
        const { codes } = await importTestRoll(target, {
          path: `${dir}/roll.csv`,
          codes: roll.codes,
          keyPath,
        });
        const key = roll.codes ? await readCodeKey(keyPath) : undefined;
        return { store: await openPostgresStore(url, request, { poolSize: 4 }), codes, key };
      } finally {
        await sql.end({ timeout: 5 });
        await Deno.remove(dir, { recursive: true });
      }
    },
    reopen: (request) => openPostgresStore(url, request, { poolSize: 4 }),
    dispose: () => dbs.dispose(),
  };
}, { ignore: !await postgresAvailable() });
