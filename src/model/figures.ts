/**
 * What kind of quantity a report path names, from the naming convention of report.json
 * ("sizes are bytes, times are ms unless the name says otherwise"). It decides which units a
 * check may use and how the figure is printed.
 */
export type FigureKind = 'bytes' | 'bytesPerHour' | 'ms' | 'sec' | 'pct' | 'ratio' | 'count' | 'number';
