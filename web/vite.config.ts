import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The web app: root is web/, output goes to dist/web (served by `zhibu serve`, which falls back to
 * index.html for every non-/api path).
 *
 * Chunks: react, antd and echarts each get their own chunk so the app's code stays small and the big
 * libraries cache separately between releases. Vite 8 bundles with Rolldown, whose Rollup-style
 * `manualChunks` pulls a captured module's dependencies into the same chunk (react ended up inside
 * antd); `codeSplitting.groups` with priorities is the native form of the same split and keeps
 * react in its own chunk. echarts is only reached from the lazily loaded statistics page.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const nm = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: nm('react|react-dom|react-router|scheduler|cookie|set-cookie-parser'), priority: 40 },
            { name: 'echarts', test: nm('echarts|zrender|echarts-for-react|size-sensor|fast-deep-equal|tslib'), priority: 30 },
            { name: 'antd', test: nm('antd|@ant-design|@rc-component|rc-[^\\\\/]+|dayjs|@babel|classnames|clsx|@emotion|stylis|throttle-debounce|compute-scroll-into-view|scroll-into-view-if-needed|json2mq|toggle-selection|copy-to-clipboard|resize-observer-polyfill'), priority: 20 },
            { name: 'zod', test: nm('zod'), priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
