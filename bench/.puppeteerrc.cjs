// memlab depends on puppeteer; the benchmark only reads heap snapshots, so no browser download.
module.exports = { skipDownload: true };
