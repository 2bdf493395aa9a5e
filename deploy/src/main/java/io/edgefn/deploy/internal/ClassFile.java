package io.edgefn.deploy.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of a class file that say which methods a class calls: its name, its constant pool,
 * its methods' bytecode and line numbers, and its bootstrap methods (JVMS §4). Everything else is
 * skipped.
 *
 * <p>Written without a bytecode library on purpose: the host checks untrusted jars before any of
 * their code runs, and this small reader is all that check needs. Immutable after
 * {@link #parse}.
 */
public final class ClassFile {

    private static final int MAGIC = 0xCAFEBABE;

    private final String name;
    private final ConstantPool pool;
    private final List<MethodCode> methods;
    private final int[][] bootstrapMethods;

    private ClassFile(String name, ConstantPool pool, List<MethodCode> methods, int[][] bootstrapMethods) {
        this.name = name;
        this.pool = pool;
        this.methods = methods;
        this.bootstrapMethods = bootstrapMethods;
    }

    /**
     * One method's bytecode.
     *
     * @param name       the method's name ({@code <init>} for constructors)
     * @param descriptor its descriptor, e.g. {@code ([Ljava/lang/String;)V}
     * @param code       its {@code Code} attribute's instructions; empty when abstract or native
     * @param lines      its {@code LineNumberTable}s as pairs of start offset and line; empty when
     *                   compiled without line numbers
     */
    record MethodCode(String name, String descriptor, byte[] code, int[] lines) {

        /** The source line of the instruction at {@code offset}, or 0 when not known. */
        int lineAt(int offset) {
            int line = 0;
            int bestStart = -1;
            for (int i = 0; i + 1 < lines.length; i += 2) {
                if (lines[i] <= offset && lines[i] > bestStart) {
                    bestStart = lines[i];
                    line = lines[i + 1];
                }
            }
            return line;
        }
    }

    /**
     * A method that the code of a class refers to, and how.
     *
     * @param callerName       the name of the method whose code holds the reference
     * @param callerDescriptor that method's descriptor
     * @param target           the method referred to
     * @param via              how: the invoke instruction's name, {@code ldc} of a method handle, or
     *                         {@code invokedynamic} (a method handle among a bootstrap method's
     *                         arguments, as {@code System::exit} compiles to)
     * @param offset           the instruction's offset in the method's code
     * @param line             the instruction's source line, or 0 when the class has no line numbers
     */
    public record MethodReference(String callerName, String callerDescriptor, ConstantPool.MemberRef target,
            String via, int offset, int line) {}

    /**
     * A string constant a method's code loads with {@code ldc}.
     *
     * @param offset the {@code ldc} instruction's offset in the method's code
     * @param value  the string, e.g. {@code "exit"}
     */
    public record StringConstant(int offset, String value) {}

    /**
     * What the code of one method refers to: the methods it calls or takes handles to, and the
     * string and class constants it loads with {@code ldc}.
     *
     * @param name        the method's name
     * @param descriptor  its descriptor
     * @param references  its method references, in code order
     * @param strings     the string constants it loads, in code order
     * @param classes     the classes it loads as constants ({@code System.class}), as internal names
     *                    such as {@code java/lang/System}
     */
    public record MethodSummary(String name, String descriptor, List<MethodReference> references,
            List<StringConstant> strings, Set<String> classes) {}

    /** Parses {@code bytes} as a class file. */
    public static ClassFile parse(byte[] bytes) throws ClassFormatException {
        ByteCursor in = new ByteCursor(bytes, 0, bytes.length);
        if (bytes.length < 4 || in.s4() != MAGIC) {
            throw new ClassFormatException("not a class file: it does not start with 0xCAFEBABE");
        }
        in.skip(4); // minor and major version: any version can be scanned
        ConstantPool pool = ConstantPool.read(in);
        in.skip(2); // access flags
        String name = pool.className(in.u2()).replace('/', '.');
        in.skip(2); // super class
        in.skip(2L * in.u2()); // interfaces
        int fields = in.u2();
        for (int i = 0; i < fields; i++) {
            in.skip(6);
            skipAttributes(in);
        }
        int methodCount = in.u2();
        List<MethodCode> methods = new ArrayList<>(methodCount);
        for (int i = 0; i < methodCount; i++) {
            in.skip(2);
            String methodName = pool.utf8(in.u2());
            String descriptor = pool.utf8(in.u2());
            byte[] code = new byte[0];
            int[] lines = new int[0];
            int attributes = in.u2();
            for (int a = 0; a < attributes; a++) {
                String attribute = pool.utf8(in.u2());
                ByteCursor body = in.slice(in.s4() & 0xFFFFFFFFL);
                if (attribute.equals("Code")) {
                    body.skip(4); // max_stack, max_locals
                    code = body.slice(body.s4() & 0xFFFFFFFFL).remaining();
                    body.skip(8L * body.u2()); // exception table
                    lines = lineNumbers(body, pool);
                }
            }
            methods.add(new MethodCode(methodName, descriptor, code, lines));
        }
        int[][] bootstrap = new int[0][];
        int attributes = in.u2();
        for (int a = 0; a < attributes; a++) {
            String attribute = pool.utf8(in.u2());
            ByteCursor body = in.slice(in.s4() & 0xFFFFFFFFL);
            if (attribute.equals("BootstrapMethods")) {
                bootstrap = new int[body.u2()][];
                for (int b = 0; b < bootstrap.length; b++) {
                    int handle = body.u2();
                    int[] entry = new int[1 + body.u2()];
                    entry[0] = handle;
                    for (int k = 1; k < entry.length; k++) {
                        entry[k] = body.u2();
                    }
                    bootstrap[b] = entry;
                }
            }
        }
        return new ClassFile(name, pool, List.copyOf(methods), bootstrap);
    }

    /** The class's binary name, e.g. {@code com.example.Pump$Inner}. */
    public String name() {
        return name;
    }

    /**
     * What the code of each method refers to: each invoke instruction, each {@code ldc} of a
     * method handle, each method handle reachable from an {@code invokedynamic}'s (or a dynamic
     * constant's) bootstrap method and its arguments, and the string and class constants loaded.
     */
    public List<MethodSummary> methods() throws ClassFormatException {
        List<MethodSummary> summaries = new ArrayList<>(methods.size());
        for (MethodCode method : methods) {
            List<MethodReference> found = new ArrayList<>();
            List<StringConstant> strings = new ArrayList<>();
            Set<String> classes = new LinkedHashSet<>();
            InstructionWalker.walk(method.code(), (offset, opcode, operand) -> {
                String via = Opcodes.name(opcode);
                switch (opcode) {
                    case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKESTATIC, Opcodes.INVOKEINTERFACE ->
                            found.add(new MethodReference(method.name(), method.descriptor(), pool.member(operand),
                                    via, offset, method.lineAt(offset)));
                    case Opcodes.INVOKEDYNAMIC -> handles(operand, method, via, offset, found, 0);
                    case Opcodes.LDC, Opcodes.LDC_W, Opcodes.LDC2_W -> {
                        switch (pool.tag(operand)) {
                            case ConstantPool.STRING -> strings.add(new StringConstant(offset, pool.utf8(pool.first(operand))));
                            case ConstantPool.CLASS -> classes.add(pool.className(operand));
                            default -> handles(operand, method, via, offset, found, 0);
                        }
                    }
                    default -> { }
                }
            }, method.name() + method.descriptor());
            summaries.add(new MethodSummary(method.name(), method.descriptor(), List.copyOf(found), List.copyOf(strings),
                    java.util.Collections.unmodifiableSet(classes)));
        }
        return summaries;
    }

    /** Adds the methods that constant {@code index} refers to through method handles. */
    private void handles(int index, MethodCode method, String via, int offset, List<MethodReference> found,
            int depth) throws ClassFormatException {
        if (depth > 8) {
            return; // dynamic constants can nest; real code never goes this deep, and cycles must end
        }
        switch (pool.tag(index)) {
            case ConstantPool.METHOD_HANDLE -> {
                int ref = pool.second(index);
                int tag = pool.tag(ref);
                if (tag == ConstantPool.METHODREF || tag == ConstantPool.INTERFACE_METHODREF) {
                    found.add(new MethodReference(method.name(), method.descriptor(), pool.member(ref),
                            via + " (method handle)", offset, method.lineAt(offset)));
                }
            }
            case ConstantPool.INVOKE_DYNAMIC, ConstantPool.DYNAMIC -> {
                int b = pool.first(index);
                if (b >= bootstrapMethods.length) {
                    throw new ClassFormatException("bootstrap method " + b + " referred to at " + method.name()
                            + method.descriptor() + "+" + offset + " does not exist");
                }
                for (int arg : bootstrapMethods[b]) {
                    handles(arg, method, via, offset, found, depth + 1);
                }
            }
            default -> { }
        }
    }

    /** The pairs of start offset and line of every {@code LineNumberTable} among a Code attribute's attributes. */
    private static int[] lineNumbers(ByteCursor code, ConstantPool pool) throws ClassFormatException {
        int[] lines = new int[0];
        int attributes = code.u2();
        for (int a = 0; a < attributes; a++) {
            String attribute = pool.utf8(code.u2());
            ByteCursor body = code.slice(code.s4() & 0xFFFFFFFFL);
            if (attribute.equals("LineNumberTable")) {
                int count = body.u2();
                int at = lines.length;
                lines = java.util.Arrays.copyOf(lines, at + 2 * count);
                for (int i = 0; i < count; i++) {
                    lines[at + 2 * i] = body.u2();
                    lines[at + 2 * i + 1] = body.u2();
                }
            }
        }
        return lines;
    }

    private static void skipAttributes(ByteCursor in) throws ClassFormatException {
        int count = in.u2();
        for (int i = 0; i < count; i++) {
            in.skip(2);
            in.skip(in.s4() & 0xFFFFFFFFL);
        }
    }
}
