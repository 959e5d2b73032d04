module lifeline.dev/traces

go 1.19
