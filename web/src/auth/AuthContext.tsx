import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Spin } from 'antd';
import { ApiError, api, request, setUnauthorizedHandler } from '../api/client';
import type { Me } from '../api/types';
import { invalidateOrgTree } from '../lib/orgTree';
import { setServerToday } from '../lib/format';

interface AuthState {
  me: Me | null;
  /** The user's permissions include `p` (server permission names, e.g. `members.write`). */
  can: (p: string) => boolean;
  /** `code`: a TOTP or recovery code when the account has two factors (the first try answers totpRequired). */
  login: (username: string, password: string, code?: string) => Promise<Me | null>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const navigate = useNavigate();

  const loadMe = useCallback(async () => {
    try {
      const m = await request<Me>('/api/auth/me', { quiet401: true });
      setServerToday(m.today);
      setMe(m);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);

  useEffect(() => {
    loadMe().catch(() => setMe(null)).finally(() => setLoading(false));
  }, [loadMe]);

  // Any 401 from a later call: the session expired or was ended elsewhere.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe(null);
      invalidateOrgTree();
      const here = window.location.pathname + window.location.search;
      if (!window.location.pathname.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  const value = useMemo<AuthState>(() => ({
    me,
    can: (p) => !!me?.permissions.includes(p),
    login: async (username, password, code) => {
      await request('/api/auth/login', { method: 'POST', body: { username, password, ...(code ? { code } : {}) }, quiet401: true });
      invalidateOrgTree();
      const fresh = await request<Me>('/api/auth/me', { quiet401: true });
      setServerToday(fresh.today);
      setMe(fresh);
      return fresh;
    },
    logout: async () => {
      try {
        await api.post('/api/auth/logout');
      } finally {
        setMe(null);
        invalidateOrgTree();
        navigate('/login', { replace: true });
      }
    },
    refresh: loadMe,
  }), [me, loadMe, navigate]);

  if (loading) {
    return (
      <div className="boot-spinner">
        <Spin size="large" />
      </div>
    );
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The logged-in user; only call below RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
