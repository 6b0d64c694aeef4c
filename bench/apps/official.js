// Minimal browser app: list the Journey segments with the official SDK (purecloud-platform-client-v2).
// Bundled by bench/size.mjs with esbuild --bundle --minify --format=esm --platform=browser.
import platformClient from 'purecloud-platform-client-v2';

const client = platformClient.ApiClient.instance;
if (globalThis.JOURNEY_API_BASE) {
  // the bench's plain-http loopback server: setEnvironment() would build https://api.<host>
  const u = new URL(globalThis.JOURNEY_API_BASE);
  client.setGateway({ host: u.hostname, port: Number(u.port), protocol: u.protocol.replace(':', '') });
} else {
  client.setEnvironment('mypurecloud.com');
}
client.setAccessToken(sessionStorage.getItem('gc_token') || 't');
const api = new platformClient.JourneyApi();

const listing = await api.getJourneySegments({ pageSize: 100 });
const ul = document.createElement('ul');
for (const s of listing.entities) {
  const li = document.createElement('li');
  li.textContent = `${s.displayName} (${s.isActive ? 'active' : 'inactive'})`;
  li.style.borderLeft = `8px solid ${s.color}`;
  ul.append(li);
}
document.body.append(ul);
document.title = `${listing.entities.length} segments`;
