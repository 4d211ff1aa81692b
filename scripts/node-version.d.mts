export type NodeTask = 'app' | 'packaging';
export declare const NODE_REQUIREMENTS: Record<NodeTask, { version: string }>;
export declare function atLeast(actual: string, wanted: string): boolean;
export declare function nodeProblem(task: NodeTask, actual?: string, language?: 'en' | 'fr'): string | null;
export declare function requireNode(task: NodeTask): void;
