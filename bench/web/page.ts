// The page of the Chromium decode benchmark (bench/chromium-decode.mjs drives it): it fetches the trace into a Blob,
// untimed, and asks a worker to decode it as the app's data worker does, then to build the model, then to decode it
// again; one step per call, so that the driver can read the memory after each.
import type { Step, StepResult } from './decode.worker'

const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' })
let blob: Blob | null = null

function ask(step: Step): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<StepResult>) => resolve(e.data)
    worker.onerror = (e) => reject(new Error(e.message))
    worker.postMessage(step)
  })
}

async function decode(url: string): Promise<StepResult> {
  blob = await (await fetch(url)).blob()
  return ask({ k: 'decode', blob })
}

Object.assign(window, { lifelineBench: { decode, model: () => ask({ k: 'model' }), again: () => ask({ k: 'decode', blob: blob!, again: true }) } })
