// Builds the dashboard page (`open-agent ui`) into dist/ui/web/: src/ui/web/app.ts bundled and minified
// for the browser with rolldown, plus index.html and app.css copied as they are. The page loads nothing
// else (no CDN, no fonts): the server serves exactly these three files. Run by scripts/bundle.mjs.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'rolldown';

const out = 'dist/ui/web';
mkdirSync(out, { recursive: true });
await build({
  input: 'src/ui/web/app.ts',
  platform: 'browser',
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  transform: { target: 'es2022' },
  treeshake: true,
  output: { file: `${out}/app.js`, format: 'esm', minify: true },
});
for (const name of ['index.html', 'app.css']) copyFileSync(`src/ui/web/${name}`, `${out}/${name}`);
