import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads ui/dist from its own origin: relative paths, no inline scripts or styles
// (the app runs under a strict CSP), nothing fetched from anywhere else.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Fonts and images become files, never data: URLs inside the CSS or the script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // The flows (crates/ehraz-core/flows) and catalogues (i18n) live outside ui/.
    fs: { allow: ['..'] },
  },
});
