/** The middle value (the upper middle of an even count): one slow or fast round does not move it. */
export const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!
