import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubernetesName } from '../../src/emit/project-templates.js';
import { generate } from '../../src/index.js';
import { REPO } from '../support/generated-project.js';

// Issue 11 item 7: the Kubernetes example of a generated project is valid against the
// Kubernetes API schemas (kubernetes-models validates with them), and wires what the runtime needs.

describe('deploy/kubernetes.yaml', () => {
  it('is a Deployment, a Service and a HorizontalPodAutoscaler that the Kubernetes schemas accept', async () => {
    const result = await generate(`${REPO}/fixtures/petstore-3.1.yaml`, { packageName: '@acme/Pets_MCP' });
    const manifest = result.files.find((f) => f.path === 'deploy/kubernetes.yaml');
    expect(manifest).toBeDefined();
    const docs = parseAllDocuments(manifest!.content).map((d) => d.toJSON() as Record<string, unknown>);
    expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);

    const deployment = new Deployment(docs[0]);
    const service = new Service(docs[1]);
    const hpa = new HorizontalPodAutoscaler(docs[2] as never);
    // Each throws with the schema violations when the document is not a valid object of its kind.
    deployment.validate();
    service.validate();
    hpa.validate();
    // The check can fail: a port that is not a number is refused.
    expect(() =>
      new Service({ ...(docs[1] as object), spec: { ports: [{ port: 'eighty' }] } } as never).validate(),
    ).toThrow();

    expect(deployment.metadata?.name).toBe('acme-pets-mcp');
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.env?.map((e) => e.name)).toEqual(expect.arrayContaining(['MCP_PUBLIC_URL', 'OAUTH_ISSUER']));
    expect(service.spec?.selector).toEqual(deployment.spec!.selector.matchLabels);
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'acme-pets-mcp' });
  });

  it('names objects with valid RFC 1123 labels whatever the package is called', () => {
    expect(kubernetesName('@acme/Pets_MCP')).toBe('acme-pets-mcp');
    expect(kubernetesName('123-api')).toBe('mcp-123-api');
    expect(kubernetesName('x'.repeat(80))).toHaveLength(63);
    for (const name of ['@a/b', 'UPPER', '9', 'a--b--', '-x-'])
      expect(kubernetesName(name)).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe('Dockerfile', () => {
  it('installs with npm ci only, checks /healthz, and uses the Node major of the CI workflow', async () => {
    const result = await generate(`${REPO}/fixtures/petstore-3.1.yaml`, {});
    const dockerfile = result.files.find((f) => f.path === 'Dockerfile')!.content;
    const workflow = result.files.find((f) => f.path === '.github/workflows/openapi-to-mcp.yml')!.content;
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).not.toMatch(/^RUN .*npm install/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    const dockerMajors = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
    const workflowMajor = /node-version: (\d+)/.exec(workflow)?.[1];
    expect(new Set(dockerMajors)).toEqual(new Set([workflowMajor]));
  });
});
