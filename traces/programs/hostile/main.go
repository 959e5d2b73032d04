// A trace whose user annotations are hostile: task names, region names, log categories and messages carry markup,
// script, quotes, line separators, invalid UTF-8 and very long strings. Everything Lifeline shows from it must be
// shown as text.
package main

import (
	"context"
	"runtime/trace"
	"strings"

	"lifeline.dev/traces/internal/harness"
)

var hostile = []string{
	`<script>alert("task")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`</script><script>window.__pwned=1</script>`,
	"line\u2028separator\u2029paragraph",
	"bad utf8 \xff\xfe end",
	`' onmouseover='alert(2)`,
	"{{constructor.constructor('alert(3)')()}}",
	strings.Repeat("<b>long</b>", 200),
}

func leakWithName(ctx context.Context, name string, block chan int) {
	trace.WithRegion(ctx, name, func() {})
	<-block
}

func main() {
	harness.Run(func() {
		block := make(chan int)
		for _, s := range hostile {
			ctx, task := trace.NewTask(context.Background(), s)
			trace.Log(ctx, s, s)
			region := trace.StartRegion(ctx, s)
			region.End()
			task.End()
		}
		ctx, _ := trace.NewTask(context.Background(), hostile[0])
		for i := 0; i < 2; i++ {
			go leakWithName(ctx, hostile[i], block) // expect: leak count=2 reason="chan receive" category=chan-receive verdict=leak
		}
	})
}
