// Leak groups for the panel. The ranked analysis (src-shared/analysis) is being written; until it lands this
// shows the plain evidence: goroutines still blocked at the end of the trace, grouped by the `go` statement that
// created them, the block reason and where they block.
import type { TraceModel } from '@shared/model/model'
import type { Frame, GoroutineRecord } from '@shared/model/goroutine'
import { topUserFrame } from '@shared/analysis/frames'
import type { LeakGroupView } from './protocol'

const site = (f: Frame | null | undefined) => (f ? `${f.func} ${f.file}:${f.line}` : '(unknown)')

export function leakGroupsOf(model: TraceModel): LeakGroupView[] {
  const groups = new Map<string, LeakGroupView & { members: GoroutineRecord[] }>()
  for (const g of model.goroutines) {
    if (g.endedNs !== null || g.finalState !== 'Waiting') continue
    const created = topUserFrame(g.creationStack) ?? g.startStack[0] ?? null
    // Runtime helpers (GC workers, the tracer's own goroutines) block by design.
    if (!created || created.func.startsWith('runtime')) continue
    const block = topUserFrame(g.finalStack) ?? g.finalStack[0] ?? null
    const key = `${site(created)}|${g.finalReason}|${site(block)}`
    let group = groups.get(key)
    if (!group) {
      group = {
        key,
        verdict: 'blocked',
        count: 0,
        creationSite: site(created),
        blockSite: site(block),
        category: g.finalReason || 'waiting',
        hint: `Blocked (${g.finalReason || 'waiting'}) until the end of the trace; check what should release it.`,
        goroutineIds: [],
        members: [],
      }
      groups.set(key, group)
    }
    group.count++
    group.goroutineIds.push(g.id)
    group.members.push(g)
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).map(({ members: _, ...view }) => view)
}
