// Build-time stand-in for `date-fns` inside pino-roll (see scripts/build.mjs): pino-roll uses five
// functions but requires the package root, which loads all of date-fns (about 200 ms at start-up).
// These subpath modules are the same functions.
exports.format = require('date-fns/format').format;
exports.addDays = require('date-fns/addDays').addDays;
exports.addHours = require('date-fns/addHours').addHours;
exports.parse = require('date-fns/parse').parse;
exports.isValid = require('date-fns/isValid').isValid;
