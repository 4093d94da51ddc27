// Builds the Outlook add-in (task pane + ribbon commands) into addin/dist, served by the API at /addin/*, and the web
// portal into portal/dist, served at /portal/. `npm run build` builds both (`-- --config-name addin|portal` for one).
// `npm run build` (production) rewrites the dev base URL in manifest.xml to ADDIN_BASE_URL or PUBLIC_URL;
// `npm run dev` serves the add-in over https with office-addin-dev-certs and proxies the API (DEV_API_URL).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { EsbuildPlugin } from 'esbuild-loader';
import HtmlWebpackPlugin from 'html-webpack-plugin';

const root = path.dirname(fileURLToPath(import.meta.url));
const addin = (...p) => path.join(root, 'addin', ...p);
const portal = (...p) => path.join(root, 'portal', ...p);
// npm hoists a newer React for Fluent's peer range at the root; each front end pins React 18 in its own node_modules,
// so every import of react/react-dom (ours and Fluent's) must resolve to that workspace's one copy.
const pkgDirIn = (workspace) => {
  const req = createRequire(path.join(root, workspace, 'package.json'));
  return (name) => path.dirname(req.resolve(`${name}/package.json`));
};
const reactAliases = (workspace) => {
  const pkgDir = pkgDirIn(workspace);
  return { react: pkgDir('react'), 'react-dom': pkgDir('react-dom'), scheduler: pkgDir('scheduler') };
};
export const DEV_BASE_URL = 'https://localhost:3000';
/** Budget for the task pane's first-load JavaScript (gzipped). */
export const FIRST_LOAD_BUDGET_KB = 350;
/** Budget for the portal's first-load JavaScript (gzipped): what the browser runs before any route's chunk. */
export const PORTAL_FIRST_LOAD_BUDGET_KB = 250;

function productionBaseUrl() {
  const base = (process.env.ADDIN_BASE_URL || process.env.PUBLIC_URL || DEV_BASE_URL).replace(/\/+$/, '');
  if (!base.startsWith('https://')) {
    console.warn(`[addin] manifest base URL ${base} is not https; Outlook only loads https add-ins (set ADDIN_BASE_URL).`);
  }
  return base;
}

/** Production manifest: every dev URL (https://localhost:3000/…) moved to the deployment's base URL. */
export function rewriteManifest(xml, baseUrl) {
  return xml.replaceAll(DEV_BASE_URL, baseUrl.replace(/\/+$/, ''));
}

/** Prints and records the gzipped size of the JS an entry loads before any lazy chunk; enforces the budget. */
class FirstLoadSizePlugin {
  /** @param {{ enforce: boolean, entry: string, label: string, budgetKb: number }} opts enforce the budget (production builds only; dev bundles are unminified). */
  constructor(opts) {
    this.opts = opts;
  }

  apply(compiler) {
    const { entry: entryName, label, budgetKb } = this.opts;
    compiler.hooks.afterEmit.tap('FirstLoadSizePlugin', (compilation) => {
      const entry = compilation.entrypoints.get(entryName);
      if (!entry) return;
      const files = entry.getFiles().filter((f) => f.endsWith('.js'));
      const outDir = compilation.outputOptions.path;
      let raw = 0;
      let gzip = 0;
      for (const f of files) {
        const buf = fs.readFileSync(path.join(outDir, f));
        raw += buf.length;
        gzip += zlib.gzipSync(buf, { level: 9 }).length;
      }
      const lazy = [...compilation.chunks].filter((c) => !c.canBeInitial()).flatMap((c) => [...c.files]).filter((f) => f.endsWith('.js'));
      const report = { mode: compiler.options.mode, files, rawBytes: raw, gzipBytes: gzip, budgetBytes: budgetKb * 1024, lazyChunks: lazy.length };
      fs.writeFileSync(path.join(outDir, 'build-size.json'), JSON.stringify(report, null, 2));
      const kb = (n) => (n / 1024).toFixed(1);
      console.log(`[${label}] first-load JS: ${kb(gzip)} KB gzipped (${kb(raw)} KB raw, ${files.length} files; budget ${budgetKb} KB; ${lazy.length} lazy chunks)`);
      if (this.opts.enforce && gzip > report.budgetBytes) compilation.errors.push(new Error(`${label} first-load JS is ${kb(gzip)} KB gzipped, over the ${budgetKb} KB budget`));
    });
  }
}

const tsRule = (tsconfig) => ({ test: /\.[cm]?tsx?$/, loader: 'esbuild-loader', options: { loader: 'tsx', target: 'es2020', jsx: 'automatic', tsconfig } });

/** The web portal: one entry, a chunk per route (React.lazy), served by the API under /portal/ with an SPA fallback. */
function portalConfig(prod) {
  return {
    name: 'portal',
    mode: prod ? 'production' : 'development',
    devtool: prod ? (process.env.PORTAL_SOURCEMAPS ? 'source-map' : false) : 'eval-cheap-module-source-map',
    entry: { main: portal('src', 'main.tsx'), 'auth-redirect': portal('src', 'auth', 'auth-redirect.ts') },
    output: {
      path: portal('dist'),
      publicPath: '/portal/',
      filename: prod ? '[name].[contenthash:10].js' : '[name].js',
      chunkFilename: prod ? '[name].[contenthash:10].js' : '[name].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js'], alias: reactAliases('portal') },
    module: { rules: [tsRule(portal('tsconfig.json')), { test: /\.m?js$/, resolve: { fullySpecified: false } }] },
    plugins: [
      new HtmlWebpackPlugin({ filename: 'index.html', template: portal('src', 'index.html'), chunks: ['main'], scriptLoading: 'defer' }),
      // Microsoft sign-in's popup returns here (served without a Cross-Origin-Opener-Policy, see portal-static.ts).
      new HtmlWebpackPlugin({ filename: 'auth-redirect.html', template: portal('src', 'auth-redirect.html'), chunks: ['auth-redirect'], scriptLoading: 'defer' }),
      new FirstLoadSizePlugin({ enforce: prod, entry: 'main', label: 'portal', budgetKb: PORTAL_FIRST_LOAD_BUDGET_KB }),
    ],
    performance: { hints: false },
    optimization: { splitChunks: { chunks: 'async' }, minimizer: [new EsbuildPlugin({ target: 'es2020', css: true })] },
    stats: prod ? 'errors-warnings' : 'minimal',
  };
}

export default async (env = {}, argv = {}) => {
  const prod = argv.mode === 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  const baseUrl = prod ? productionBaseUrl() : DEV_BASE_URL;
  const page = (name, chunks) =>
    new HtmlWebpackPlugin({ filename: `${name}.html`, template: addin('src', 'pages', `${name}.html`), chunks, scriptLoading: 'defer' });

  const addinConfig = {
    name: 'addin',
    mode: prod ? 'production' : 'development',
    // Source maps only on request (ADDIN_SOURCEMAPS=1): they double the production build time.
    devtool: prod ? (process.env.ADDIN_SOURCEMAPS ? 'source-map' : false) : 'eval-cheap-module-source-map',
    entry: {
      taskpane: addin('src', 'taskpane', 'index.tsx'),
      commands: addin('src', 'office', 'commands.ts'),
    },
    output: {
      path: addin('dist'),
      publicPath: 'auto',
      filename: prod ? '[name].[contenthash:10].js' : '[name].js',
      chunkFilename: prod ? '[name].[contenthash:10].js' : '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      alias: reactAliases('addin'),
    },
    module: {
      rules: [
        tsRule(addin('tsconfig.json')),
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    plugins: [
      page('taskpane', ['taskpane']),
      page('commands', ['commands']),
      new CopyWebpackPlugin({
        patterns: [
          { from: addin('assets'), to: 'assets' },
          {
            from: path.join(root, 'manifest.xml'),
            to: 'manifest.xml',
            transform: (content) => (prod ? rewriteManifest(content.toString(), baseUrl) : content),
          },
        ],
      }),
      new FirstLoadSizePlugin({ enforce: prod, entry: 'taskpane', label: 'addin', budgetKb: FIRST_LOAD_BUDGET_KB }),
    ],
    performance: { hints: false },
    optimization: { splitChunks: { chunks: 'async' }, minimizer: [new EsbuildPlugin({ target: 'es2020', css: true })] },
    stats: prod ? 'errors-warnings' : 'minimal',
    devServer: serving
      ? {
          port: Number(process.env.ADDIN_DEV_PORT || 3000),
          headers: { 'Access-Control-Allow-Origin': '*' },
          server: { type: 'https', options: await (await import('office-addin-dev-certs')).getHttpsServerOptions() },
          devMiddleware: { publicPath: '/addin/' },
          static: false,
          hot: false,
          proxy: [
            {
              context: ['/api', '/v', '/files', '/docs', '/openapi.json', '/portal'],
              target: process.env.DEV_API_URL || 'http://localhost:3001',
              changeOrigin: true,
            },
          ],
        }
      : undefined,
  };
  // The dev server serves the add-in only (Outlook needs https on :3000); the portal is built and served by the API.
  return serving ? addinConfig : [addinConfig, portalConfig(prod)];
};
