import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import { storeContract } from "./store_contract.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";

storeContract("PostgreSQL", async () => {
  const dbs = await testDatabases();
  let url = "";
  return {
    fresh: async (request) => openPostgresStore(url = await dbs.create(), request, { poolSize: 4 }),
    reopen: (request) => openPostgresStore(url, request, { poolSize: 4 }),
    dispose: () => dbs.dispose(),
  };
}, { ignore: !await postgresAvailable() });
