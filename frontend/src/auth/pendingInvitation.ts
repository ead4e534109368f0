// An invitation link's token, kept while its person signs in to accept it: in this tab's sessionStorage,
// never in an address a server could log; the invitation page takes it back once, and it is gone.
const KEY = 'ims.invitation';

export function keepInvitationToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function takeInvitationToken(): string {
  const token = sessionStorage.getItem(KEY) ?? '';
  sessionStorage.removeItem(KEY);
  return token;
}
