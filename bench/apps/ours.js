// Minimal browser app: list the Journey segments with journey-api-wasm.
// Bundled by bench/size.mjs with esbuild --bundle --minify --format=esm --platform=browser.
import { ApiClient, JourneyApi } from 'journey-api-wasm';

const client = new ApiClient();
client.setEnvironment(globalThis.JOURNEY_API_BASE || 'mypurecloud.com');
client.setAccessToken(sessionStorage.getItem('gc_token') || 't');
const api = new JourneyApi(client);

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
