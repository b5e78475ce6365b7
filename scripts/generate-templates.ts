/** Writes the downloadable templates under templates/ from their definitions (the lead commits them). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildBindingTemplate } from '../src/bindings/sheet/template.js';

const target = path.join('templates', '员工绑定模板.xlsx');
await writeFile(target, await buildBindingTemplate());
console.log(`wrote ${target}`);
