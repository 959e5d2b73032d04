export interface ElectronBinary {
  source: 'env' | 'node_modules'
  path: string
}
export declare function findElectron(): ElectronBinary | undefined
export declare const NO_ELECTRON_REASON: string
