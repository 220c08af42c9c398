const { loadDocument } = await import('./dist/src/load/index.js');
const { buildModel } = await import('./dist/src/model/build-model.js');
const { resolveOptions } = await import('./dist/src/options.js');
const { planProject } = await import('./dist/src/plan/plan-project.js');
const { runtimeFiles } = await import('./dist/src/emit/runtime-files.js');
const { renderTemplate, templateData } = await import('./dist/src/emit/project-templates.js');
const { formatFile } = await import('./dist/src/emit/format.js');
const { formatReadme } = await import('./dist/src/emit/readme-table.js');
const loaded = await loadDocument(process.argv[2], { validate: false });
const model = buildModel(loaded, {});
const options = resolveOptions({ specLabel: 'x', packageName: 'x-mcp' });
const plan = planProject(model, options, runtimeFiles());
const data = templateData(model, options);
let total = 0;
for (const file of plan.files.filter((f) => f.source.kind === 'template')) {
  const rendered = renderTemplate(file.source.template, data);
  const t = performance.now();
  if (file.path === "README.md") await formatReadme(rendered, async (m) => { const t0 = performance.now(); const r = await formatFile(file.path, m); console.log("  call", m.length, (performance.now() - t0).toFixed(0)); return r; }); else await formatFile(file.path, rendered);
  const ms = performance.now() - t; total += ms;
  console.log(file.path, rendered.length, ms.toFixed(0), 'ms');
}
console.log('total', total.toFixed(0));
