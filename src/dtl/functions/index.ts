// Importing this module registers every DTL expression function (each category module calls defineFunctions).
import './strings.js';
import './lists.js';
import './math.js';
import './logic.js';
import './nulls.js';
import './numbers.js';
import './dictionaries.js';
import './json.js';
import './misc.js';
import './identifiers.js';
import './sets.js';
import './datetime.js';
import './encryption.js';
import './phonenumbers.js';

export { lookupFunction, registeredFunctionNames } from './registry.js';
