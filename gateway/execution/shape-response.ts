import {
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { ShapeSelection, ShapeType } from './compile-shape.ts';
import {
  assert,
  describeLast,
  getOwn,
  invalid,
  isValidLeaf,
  lookupsOf,
  setOwn,
} from './shape-values.ts';

/**
 * Builds the client's response from the merged subgraph data and the compiled operation, with
 * the rules of @apollo/gateway's `computeResponse` (dist/resultShaping.js) reproduced exactly:
 * aliases, `__typename` from the data (or the declared type), fragments applied by the object's
 * `__typename`, nulls bubbling up to the nearest nullable field, INVALID_GRAPHQL errors with the
 * same messages and paths. Objects are plain `{}` (fast to build and serialise); a response name
 * Object.prototype defines (`constructor`, `__proto__`...) is read and set as an own property.
 */
type Json = Record<string, unknown>;
type Path = (string | number)[];

export class ResponseShaper {
  readonly errors: GraphQLError[] = [];
  private readonly path: Path = [];
  /** Set by `update` for the value it returned: a null to bubble up / errors were recorded. */
  private invalid = false;
  private hasErrors = false;

  private readonly composite: Map<string, GraphQLNamedType | null>;
  private readonly object: Map<string, GraphQLNamedType | null>;

  constructor(private readonly schema: GraphQLSchema) {
    ({ composite: this.composite, object: this.object } = lookupsOf(schema));
  }

  /** `schema.getType(name)` when composite, else null (cached per schema). */
  private compositeNamed(name: string): GraphQLNamedType | null {
    let type = this.composite.get(name);
    if (type === undefined) {
      const named = this.schema.getType(name);
      type = named && isCompositeType(named) ? named : null;
      this.composite.set(name, type);
    }
    return type;
  }

  private applies(
    condition: GraphQLCompositeType | undefined,
    typename: unknown,
    parentType: GraphQLNamedType,
  ): boolean {
    if (!condition) return true;
    let type: GraphQLNamedType | undefined = parentType;
    if (typename) {
      type = this.schema.getType(typename as string);
      if (!type) return false;
    }
    if (type.name === condition.name) return true;
    return (
      isAbstractType(condition) &&
      (isObjectType(type) || isInterfaceType(type)) &&
      this.schema.isSubType(condition, type)
    );
  }

  /** Returns false when a null bubbled up to this selection set's parent. */
  applySelectionSet(
    input: Json,
    selections: ShapeSelection[],
    output: Json,
    parentType: GraphQLNamedType,
  ): boolean {
    for (const selection of selections) {
      if (selection.kind === 'field') {
        const responseName = selection.responseName;
        const outputValue = selection.inherited
          ? getOwn(output, responseName)
          : output[responseName];
        let inputValue = Object.hasOwn(input, responseName) ? (input[responseName] ?? null) : null;
        if (selection.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== '__typename') {
              inputValue = input.__typename ?? null;
            }
            const typeName =
              inputValue !== null && typeof inputValue === 'string'
                ? (this.schema.getType(inputValue) ?? parentType).name
                : parentType.name;
            let object = this.object.get(typeName);
            if (object === undefined) {
              const named = this.schema.getType(typeName);
              object = named && isObjectType(named) ? named : null;
              this.object.set(typeName, object);
            }
            if (!object) return false;
            if (selection.inherited) setOwn(output, responseName, object.name);
            else output[responseName] = object.name;
          }
          continue;
        }
        this.path.push(responseName);
        const value = this.update(
          outputValue,
          selection.type,
          inputValue,
          selection.selections,
          parentType,
        );
        if (selection.inherited) setOwn(output, responseName, value);
        else output[responseName] = value;
        this.path.pop();
        if (this.invalid) return false;
      } else {
        const typename = input.__typename;
        assert(
          !typename || typeof typename === 'string',
          () => `Got unexpected value for __typename: ${String(typename)}`,
        );
        if (this.applies(selection.typeCondition, typename, parentType)) {
          const ok = this.applySelectionSet(
            input,
            selection.selections,
            output,
            selection.typeCondition ?? parentType,
          );
          if (!ok) return false;
        }
      }
    }
    return true;
  }

  /**
   * `updateOutputValue` of resultShaping.js. Returns the value; `invalid` (a null that must bubble
   * up) and `hasErrors` describe it until the next call (no result object per field).
   */
  private update(
    outputValue: unknown,
    shape: ShapeType,
    inputValue: unknown,
    selections: ShapeSelection[] | undefined,
    parentType: GraphQLNamedType,
  ): unknown {
    this.invalid = false;
    this.hasErrors = false;
    if (outputValue === null || (outputValue !== undefined && !selections)) return outputValue;
    if (shape.kind === 'nonNull') {
      const updated = this.update(outputValue, shape.ofType, inputValue, selections, parentType);
      if (updated === null) {
        if (!this.hasErrors) {
          this.errors.push(
            invalid(
              `Cannot return null for non-nullable ${describeLast(this.path, shape.ofType.type, parentType)}.`,
              this.path,
            ),
          );
        }
        this.invalid = true;
        this.hasErrors = true;
        return null;
      }
      this.invalid = false;
      this.hasErrors = false;
      return updated;
    }
    if (inputValue === null) return null;
    if (shape.kind === 'list') {
      return this.updateList(outputValue, shape.ofType, inputValue, selections, parentType);
    }
    if (shape.kind === 'composite') {
      return this.updateObject(outputValue, shape.type, inputValue, selections, parentType);
    }
    const type = shape.type;
    assert(
      outputValue === undefined,
      () => `Excepted output to be undefined but got ${String(type)} for type ${String(type)}`,
    );
    if (isValidLeaf(inputValue, shape.leaf, type)) return inputValue;
    this.errors.push(
      invalid(`Invalid value found for ${describeLast(this.path, type, parentType)}.`, this.path),
    );
    this.hasErrors = true;
    return null;
  }

  private updateList(
    outputValue: unknown,
    item: ShapeType,
    inputValue: unknown,
    selections: ShapeSelection[] | undefined,
    parentType: GraphQLNamedType,
  ): unknown {
    assert(
      Array.isArray(inputValue),
      () =>
        `Invalid non-list value ${String(inputValue)} returned by subgraph for list type [${String(item.type)}]`,
    );
    assert(
      outputValue === undefined || Array.isArray(outputValue),
      () =>
        `Invalid non-list value ${String(outputValue)} returned by subgraph for list type [${String(item.type)}]`,
    );
    const length = inputValue.length;
    const previous = outputValue as unknown[] | undefined;
    assert(
      previous === undefined || previous.length === length,
      () =>
        `[${String(inputValue)}].length (${length}) !== [${String(previous)}].length (${previous!.length})`,
    );
    const updated = new Array<unknown>(length);
    let shouldNullify = false;
    let hasErrors = false;
    const path = this.path;
    for (let i = 0; i < length; i++) {
      path.push(i);
      updated[i] = this.update(previous?.[i], item, inputValue[i], selections, parentType);
      path.pop();
      if (this.invalid) shouldNullify = true;
      if (this.hasErrors) hasErrors = true;
    }
    this.invalid = false;
    this.hasErrors = hasErrors;
    return shouldNullify ? null : updated;
  }

  private updateObject(
    outputValue: unknown,
    type: GraphQLCompositeType,
    inputValue: unknown,
    selections: ShapeSelection[] | undefined,
    parentType: GraphQLNamedType,
  ): unknown {
    assert(selections, () => `Invalid empty selection set for composite type ${String(type)}`);
    assert(
      typeof inputValue === 'object',
      () =>
        `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
    );
    assert(
      outputValue === undefined || typeof outputValue === 'object',
      () =>
        `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
    );
    const input = inputValue as Json;
    const inputTypename = input.__typename;
    assert(
      inputTypename === undefined || typeof inputTypename === 'string',
      () =>
        `Invalid non-string value ${String(inputTypename)} for __typename at ${this.path.join(',')}`,
    );
    let objType: GraphQLNamedType = type;
    if (inputTypename) {
      const named = this.compositeNamed(inputTypename);
      if (!named) {
        this.errors.push(
          invalid(
            `Invalid __typename found for object at ${describeLast(this.path, type, parentType)}.`,
            this.path,
          ),
        );
        this.invalid = false;
        this.hasErrors = true;
        return null;
      }
      objType = named;
    }
    const output = (outputValue as Json | undefined) ?? {};
    const ok = this.applySelectionSet(input, selections, output, objType);
    this.invalid = false;
    this.hasErrors = !ok;
    return ok ? output : null;
  }
}
