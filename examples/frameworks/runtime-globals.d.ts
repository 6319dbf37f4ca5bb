/**
 * The parts of Deno's and Bun's globals the recipes use, so that the repository's type check covers
 * deno.ts and bun.ts too; each runtime brings its own complete types.
 */
declare const Deno: {
  env: { get(name: string): string | undefined };
  readTextFileSync(path: string): string;
  serve(
    options: { port: number; hostname: string; onListen?: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Response | Promise<Response> }): { port: number };
};
