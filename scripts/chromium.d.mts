export declare const CHROMIUM_PATH: string
export declare const CHROMIUM_ARGS: readonly string[]
export declare function rendererRss(): number[]
export declare function largestRenderer(): number
