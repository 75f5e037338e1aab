/** Maps character offsets to 1-based line and column, for parsers that only give offsets. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  locate(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Length of the longest line, for minification signals. */
  longestLine(textLength: number): number {
    let longest = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const end = (this.starts[i + 1] ?? textLength + 1) - 1;
      longest = Math.max(longest, end - (this.starts[i] ?? 0));
    }
    return longest;
  }
}
