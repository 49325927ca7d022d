/** The baseline: a bare Deno.serve hello-world, measured the same way as the vote path. */
Deno.serve({
  port: Number(Deno.args[0] ?? 0),
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(`Listening on port ${port}.`),
}, () => new Response("Hello, world"));
