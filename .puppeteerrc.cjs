// memlab (a bench peer) pulls puppeteer; its install must not download a browser.
module.exports = { skipDownload: true };
