// The trace a newcomer sees when Lifeline starts with no file: a small real leak (see public/samples/leaky-fetch.go).
export const SAMPLE_TRACE = './samples/leaky-fetch.go126.trace'
