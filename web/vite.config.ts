import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The web app: root is web/, output goes to dist/web (served by `zhibu serve`, which falls back to
 * index.html for every non-/api path). antd, echarts and react each get their own chunk so the
 * app's own code stays small and the big libraries cache separately between releases.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

function chunkOf(id: string): string | null {
  if (!id.includes('node_modules')) return null;
  if (/node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/.test(id)) return 'echarts';
  if (/node_modules[\\/](react|react-dom|react-router|scheduler|cookie|set-cookie-parser)[\\/]/.test(id)) return 'react';
  if (/node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs|@babel[\\/]runtime|classnames|clsx|@emotion|stylis|throttle-debounce|compute-scroll-into-view|scroll-into-view-if-needed|json2mq|toggle-selection|copy-to-clipboard|resize-observer-polyfill)[\\/]/.test(id)) return 'antd';
  if (/node_modules[\\/]zod[\\/]/.test(id)) return 'zod';
  return 'vendor';
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        manualChunks: chunkOf,
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
