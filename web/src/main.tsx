import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { z } from 'zod';
import { theme } from './theme';
import { AuthProvider } from './auth/AuthContext';
import { AppRoutes } from './routes';
import './styles.css';

// Contract schemas validate forms in the browser too; their built-in messages must be Chinese.
z.config(z.locales.zhCN());
// No eval: the Content-Security-Policy allows scripts from our own files only (zod's JIT probes `new Function`).
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
