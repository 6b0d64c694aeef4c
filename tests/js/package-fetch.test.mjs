// The whole package suite again, with Node's own fetch as every client's transport
// (`client.setFetch(globalThis.fetch)`), so both ways a request can leave in Node are covered.
process.env.JOURNEY_TEST_TRANSPORT = 'fetch';
await import('./package.test.mjs');
