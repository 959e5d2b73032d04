/// <reference types="svelte" />
/// <reference types="vite/client" />
declare const __LIFELINE_VERSION__: string
