/**
 * The URL the softphone opens its SIP WebSocket on. The server answers with the page's origin as it
 * saw it (behind a TLS proxy in TRUST_PROXY: wss:// on the public host). A TLS proxy the server does
 * not trust leaves that ws://, which an https page may not open (mixed content): then the page's own
 * origin decides, wss:// on its host, where /sip is served with the rest of the app.
 */
export function softphoneWebSocketUrl(serverUrl: string, page: Pick<Location, 'protocol' | 'host'>): string {
  if (page.protocol !== 'https:') return serverUrl;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return serverUrl;
  }
  if (url.protocol === 'wss:') return serverUrl;
  return `wss://${page.host}${url.pathname}${url.search}`;
}
