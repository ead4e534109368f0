// Tokens mailed in links (password reset, invitation, new e-mail address) travel in the URL fragment, which browsers never
// send to a server, so they stay out of server, proxy and CDN logs; links mailed before that carried them
// in the query, which is still read.
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

export function tokenFrom(hash: string, search: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? new URLSearchParams(search).get('token') ?? '';
}

/** The link's token, read once; the address bar and history then lose it (the page keeps it in state). */
export function useLinkToken(): string {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => tokenFrom(location.hash, location.search));
  useEffect(() => {
    if (location.hash || location.search) navigate(location.pathname, { replace: true });
  }, [location.hash, location.search, location.pathname, navigate]);
  return token;
}
