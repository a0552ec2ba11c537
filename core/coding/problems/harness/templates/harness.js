'use strict';
// Intervista test harness: reads "nonce" then one JSON argument list per line from stdin,
// loads solution.js, calls the function once per line, writes "<nonce> <i> <json>" lines.
(function intervistaMain(name) {
  const fs = require('fs');
  const path = require('path');
  const vm = require('vm');
  const lines = fs.readFileSync(0, 'utf8').split('\n');
  const nonce = lines[0].trim();
  const tests = lines.slice(1).filter((line) => line.trim());
  const emit = (tag, payload) => fs.writeSync(1, '\n' + nonce + ' ' + tag + ' ' + JSON.stringify(payload) + '\n');
  const file = path.join(__dirname, 'solution.js');
  const source = fs.readFileSync(file, 'utf8');
  try {
    new vm.Script(source, { filename: 'solution.js' });
  } catch (error) {
    const match = /solution\.js:(\d+)/.exec(String(error.stack));
    emit('compile', { line: match ? Number(match[1]) : null, message: String(error) });
    return;
  }
  let fn;
  try {
    const module = { exports: {} };
    const loader = new Function('require', 'module', 'exports', source +
      '\n;return typeof ' + name + ' === "function" ? ' + name + ' : module.exports && module.exports.' + name + ';');
    fn = loader(require, module, module.exports);
  } catch (error) {
    emit('load', { error: String(error && error.stack || error).split('\n').slice(0, 3).join('\n') });
    return;
  }
  if (typeof fn !== 'function') {
    emit('load', { error: 'function ' + name + ' is not defined' });
    return;
  }
  tests.forEach((line, index) => {
    const args = JSON.parse(line);
    const start = process.hrtime.bigint();
    let payload;
    try {
      const value = fn(...args);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      payload = { ok: true, ms, value: value === undefined ? null : value };
      JSON.stringify(payload);
    } catch (error) {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const stack = String(error && error.stack || error);
      const match = /<anonymous>:(\d+)/.exec(stack);
      payload = { ok: false, ms, error: String(error).slice(0, 2000) + (match ? ' (line ' + (Number(match[1]) - 2) + ')' : '') };
    }
    emit(String(index), payload);
  });
})('__INTERVISTA_NAME__');
