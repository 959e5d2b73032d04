// Leak groups for the panel: the shared analysis (src-shared/analysis) run in the worker right after the model is
// built, flattened to what the panel shows. Benign groups are kept, last, so the panel explains them too.
import { blockShown, createdAt, sameWorkNote, site, type LeakAnalysis } from '@shared/analysis/leaks'
import type { LeakGroupView } from './protocol'

/** The groups as the panel shows them (createdRange is filled in where the goroutine records are, timeline-source). */
export function leakGroupsOf(analysis: LeakAnalysis): LeakGroupView[] {
  const rank = { leak: 0, suspect: 1, benign: 2 } as const
  return analysis
    .groups.slice()
    .sort((a, b) => rank[a.verdict] - rank[b.verdict])
    .map((g) => ({
      key: g.key,
      verdict: g.verdict,
      count: g.count,
      origin: g.preexisting
        ? `before the trace${g.entry ? `, in ${site(g.entry)}` : ''}`
        : g.creationSite
          ? `created at ${createdAt(g)}`
          : `by the runtime or a library${g.entry ? `, in ${site(g.entry)}` : ''}`,
      sameWork: sameWorkNote(g, analysis.groups) ?? '',
      blockSite: site(blockShown(g)),
      category: g.category,
      reason: g.reason,
      hint: g.hint ?? '',
      goroutineIds: g.goroutines,
      createdRange: null,
    }))
}
