// Uploads a file with the official tus-js-client and prints the upload URL.
// Usage: node tus-js-upload.mjs ENDPOINT TOKEN SESSION STEP MEDIA_TYPE FILE CHUNK_SIZE
import { readFileSync } from 'node:fs';
import * as tus from 'tus-js-client';

const [endpoint, token, session, step, mediaType, file, chunkSize] = process.argv.slice(2);
const bytes = readFileSync(file);

const upload = new tus.Upload(bytes, {
  endpoint,
  chunkSize: Number(chunkSize),
  retryDelays: [0, 200, 1000],
  headers: { Authorization: `Bearer ${token}` },
  metadata: { session, step, media_type: mediaType, filename: 'capture' },
  onError(error) {
    console.error(`tus-js-client failed: ${error}`);
    process.exit(1);
  },
  onSuccess() {
    console.log(upload.url);
  },
});
upload.start();
