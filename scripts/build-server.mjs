// `npm run build:server [-- --out DIR]`: the server as plain JavaScript for production (no tsx at run
// time), in dist/server by default:
//   main.js                 the server (apps/server/src/main.ts)
//   admin-cli.js            the admin command line (apps/server/src/cli/admin-cli.ts)
//   media-worker-entry.js   the media thread, started by path from the bundle beside it
//   prompts/                packages/media/prompts (the bundle looks for them beside itself)
//   web/                    apps/web/dist, when the web app is built (`npm run build` builds both)
//   package.json            "type": "module", `npm start` / `npm run admin` for the build, and the
//                           third-party packages the server depends on
// The workspace packages (@switchboard/*) are bundled; every other package stays external and is
// installed beside the build (docker/Dockerfile: production dependencies only). A package imported
// without being declared in a package.json the server runs with fails the build here rather than at
// run time in the image.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = path.resolve(outFlag > 0 ? process.argv[outFlag + 1] : path.join(root, 'dist/server'));

/** The packages whose code the server runs: the server and the workspace packages it bundles. */
const manifests = ['apps/server', 'packages/shared', 'packages/sip', 'packages/media'].map((dir) =>
  JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')),
);
const workspace = new Set(manifests.map((m) => m.name));
/** Declared runtime dependencies (type packages only serve the compiler). */
const dependencies = {};
for (const m of manifests) {
  for (const [name, range] of Object.entries(m.dependencies ?? {})) {
    if (workspace.has(name) || name.startsWith('@types/')) continue;
    dependencies[name] = range;
  }
}
const builtins = new Set(builtinModules);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Keeps declared third-party packages external, bundles the workspace, refuses anything else. */
const externals = {
  name: 'switchboard-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path)) return { external: true };
      const name = packageName(args.path);
      if (workspace.has(name)) return undefined;
      if (name in dependencies) return { external: true };
      return {
        errors: [
          {
            text: `"${name}" is imported by ${path.relative(root, args.importer)} but is not in the dependencies of ${[...workspace].join(', ')}: the production image would not install it`,
          },
        ],
      };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    main: 'apps/server/src/main.ts',
    'admin-cli': 'apps/server/src/cli/admin-cli.ts',
    'media-worker-entry': 'packages/media/src/worker/media-worker-entry.ts',
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // CI machines still run Node 20; the image runs 22.
  target: 'node20',
  sourcemap: true,
  plugins: [externals],
  logLevel: 'warning',
});

writeFileSync(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: 'switchboard-server-build',
      private: true,
      type: 'module',
      // Beside the build (in the image: docker exec … npm run admin -- backup …), no tsx needed.
      scripts: { start: 'node main.js', admin: 'node admin-cli.js' },
      dependencies,
    },
    null,
    2,
  )}\n`,
);

cpSync(path.join(root, 'packages/media/prompts'), path.join(out, 'prompts'), { recursive: true });
const web = path.join(root, 'apps/web/dist');
if (existsSync(path.join(web, 'index.html'))) {
  cpSync(web, path.join(out, 'web'), { recursive: true });
} else {
  console.log(
    'The web app is not built (apps/web/dist): the built server will say so at /. `npm run build` builds both.',
  );
}
console.log(`Server built into ${path.relative(process.cwd(), out) || '.'}`);
