# workerd configuration for the Workers recipe: one worker, one HTTP socket.
#
#   SCIM_TENANTS="$(cat tenants.json)" npx workerd serve config.capnp --socket-addr http=127.0.0.1:8080
#
# worker.js is worker.ts bundled by esbuild (serve.mjs does both steps).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "scim", worker = .scimWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8080", http = (), service = "scim") ],
);

const scimWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  bindings = [ (name = "SCIM_TENANTS", fromEnvironment = "SCIM_TENANTS") ],
);
